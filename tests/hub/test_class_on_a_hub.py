"""A class on a real JupyterHub: five students log in at once, open the nbgitpuller link the README
gives, land on the course map in their own copy, run a chapter and move its explorer; the lecturer
then changes a chapter and adds one, and a student who had edited a cell clicks the link again.

The hub runs deploy/hub/jupyterhub_config.py as a lecturer's IT would (a class list and a class
password; each student becomes a system user on first login), on free ports on 127.0.0.1, with the
course served from a local git repository made from this working tree. Each student's server and
kernels run as that student. The memory of the hub, the proxy and every student's server and kernels
is sampled while they work and written to build/hub-class.md; README's capacity table is planned on
these figures, and each student must stay within the memory guarantee the class is planned with.

Needs root (to create the students and start their servers as them), Chromium and configurable-http-
proxy (`make setup-dev` installs it with npm): without them it is skipped with a reason, except under
CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import psutil
import pytest

from tests.browser import require_chromium
from tests.deploy_settings import SHIPPED_CONFIG, byte_size, readme_link, shipped_settings
from tools.jupyterlab import CHROMIUM, CHROMIUM_FLAGS, CURRENT, WIDGET_OUTPUT, changed, nudge, run_all
from tools.memory import MB, Moment, add_process, measure
from tools.processes import running
from tools.project import ROOT
from tools.wait import Every, until

pytestmark = pytest.mark.slow

HUB_DIR = ROOT / "deploy" / "hub"
PROXY = HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
STUDENTS = [f"tapestudent{i}" for i in range(1, 6)]  # names no real account uses
PASSWORD = "a-class-password"
FOLDER = "gradient-tapes"
CHAPTER = "01_gradient_tape.ipynb"
NEW_CHAPTER = "12_lecturers_extra.ipynb"
LECTURER_SENTENCE = "A sentence the lecturer added after the class had started."
STUDENT_LINE = "answer = 6.0  # worked out by tapestudent1"
SCREENSHOTS = ROOT / "build" / "screenshots" / "hub"
REPORT = ROOT / "build" / "hub-class.md"


def missing() -> str:
    """Why the hub cannot be run here, or '' when it can."""
    if os.geteuid() != 0:
        return "the hub test must run as root: it makes the students' accounts and runs their servers as them"
    if not PROXY.exists():
        return f"no configurable-http-proxy at {PROXY} (make setup-dev installs it with npm)"
    if not shutil.which("useradd"):
        return "no useradd to create the students' accounts"
    return ""


sync_api = require_chromium()
if missing() and os.environ.get("CI") == "true":
    pytest.fail(f"{missing()}: CI must provide it (.ci/run)", pytrace=False)
if missing():
    pytest.skip(f"hub test skipped: {missing()}", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@contextmanager
def passable_for_students(*paths: Path):
    """Let other users pass through (o+x, not list) the folders on the way to `paths` for the test.

    Students' servers run the course's Python as the students; a Python installed under /root (pyenv on
    this project's machines) is otherwise out of their reach. A lecturer's server installs the course's
    environment where every user can read it (README, "A class on a hub").
    """
    changed: dict[Path, int] = {}
    for path in paths:
        for folder in reversed(path.parents):
            mode = folder.stat().st_mode
            if not mode & 0o001 and folder not in changed:
                changed[folder] = mode
                folder.chmod(stat.S_IMODE(mode) | 0o001)
    try:
        yield
    finally:
        for folder, mode in changed.items():
            folder.chmod(stat.S_IMODE(mode))


def student_of(process: psutil.Process) -> str | None:
    """The student whose server `process` is, or None for the hub's other children."""
    try:
        owner = pwd.getpwuid(process.uids().real).pw_name
    except KeyError:
        return None
    return owner if owner in STUDENTS and "jupyterhub-singleuser" in " ".join(process.cmdline()) else None


@dataclass
class ClassMemory:
    """Peaks of the hub, the proxy and each student's server and kernels, sampled while they work."""

    hub: psutil.Process
    peaks: dict[str, Moment] = field(default_factory=dict)  # student -> largest moment
    hub_peak: int = 0  # the hub and its idle-culler service (anonymous + their files)
    proxy_peak: int = 0
    class_peak: int = 0  # everything at once, shared files counted once
    kernels_peak: int = 0

    def sample(self) -> None:
        try:
            children = self.hub.children()
        except psutil.NoSuchProcess:
            return
        every_file: dict[str, int] = {}
        hub_files: dict[str, int] = {}
        hub_bytes, proxy_bytes, students_anonymous, kernels = add_process(self.hub, hub_files), 0, 0, 0
        for child in children:
            try:
                owner = student_of(child)
                if owner:
                    moment = measure(child)
                    if owner not in self.peaks or moment.total > self.peaks[owner].total:
                        self.peaks[owner] = moment
                    students_anonymous += moment.server + moment.kernels
                    kernels += moment.running
                    for p in [child, *child.children(recursive=True)]:
                        add_process(p, every_file)
                elif "configurable-http-proxy" in " ".join(child.cmdline()):
                    proxy_files: dict[str, int] = {}
                    proxy_bytes = add_process(child, proxy_files) + sum(proxy_files.values())
                    every_file.update(proxy_files)
                else:  # the idle culler
                    hub_bytes += add_process(child, hub_files)
            except psutil.NoSuchProcess:
                continue
        for path, size in hub_files.items():
            every_file[path] = max(every_file.get(path, 0), size)
        self.hub_peak = max(self.hub_peak, hub_bytes + sum(hub_files.values()))
        self.proxy_peak = max(self.proxy_peak, proxy_bytes)
        total = hub_bytes + proxy_bytes + students_anonymous + sum(every_file.values())
        self.class_peak = max(self.class_peak, total)
        self.kernels_peak = max(self.kernels_peak, kernels)

    def report(self) -> str:
        rows = ["| Who | Server MB | Kernels MB | Mapped files MB | Total MB | Kernels |", "|---" * 6 + "|"]
        for name in STUDENTS:
            m = self.peaks.get(name)
            if m:
                sizes = " | ".join(f"{b / MB:.0f}" for b in (m.server, m.kernels, m.files, m.total))
                rows.append(f"| {name} | {sizes} | {m.running} |")
        return (
            "Memory on the hub while five students log in, pull the course, run chapter 01 and move its "
            "explorer (largest moment; MB = 10^6 bytes; each student's own mapped files counted in full, "
            "as a container of its own would be charged):\n\n" + "\n".join(rows) + "\n\n"
            f"Hub (with its idle culler): {self.hub_peak / MB:.0f} MB. Proxy: {self.proxy_peak / MB:.0f} MB. "
            f"Everything at once, files shared between students counted once: {self.class_peak / MB:.0f} MB "
            f"with {self.kernels_peak} kernels running.\n"
        )


@dataclass
class Hub:
    url: str
    link: str  # README's link, pointing at this hub and the local course
    workdir: Path
    lecturer: Path  # the lecturer's clone of the course
    memory: ClassMemory

    def home(self, student: str) -> Path:
        return Path(pwd.getpwnam(student).pw_dir) / FOLDER


def hub_config(workdir: Path, ports: dict[str, int]) -> str:
    """The shipped config, changed only where a test must differ from a lecturer's hub: free ports on
    127.0.0.1, and the hub's own files in `workdir`."""
    return f"""
load_subconfig({str(SHIPPED_CONFIG)!r})
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {ports["public"]}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {ports["hub"]}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{ports["proxy"]}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.JupyterHub.db_url = "sqlite:///{workdir / "hub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(workdir / "cookie_secret")!r}
c.Spawner.start_timeout = 600  # five servers starting at once on two cores
c.Spawner.http_timeout = 600
"""


def make_course(workdir: Path) -> tuple[Path, Path]:
    """A bare repository holding this working tree's files, and the lecturer's clone of it."""
    source = workdir / "source"
    files = git("ls-files", "-z", cwd=ROOT).split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    git("init", "-q", "-b", "main", cwd=source)
    git("add", "-A", cwd=source)
    git("-c", "user.name=Lecturer", "-c", "user.email=lecturer@example.org", "commit", "-q", "-m", "course",
        cwd=source)
    bare = workdir / "course.git"
    git("clone", "-q", "--bare", str(source), str(bare), cwd=workdir)
    lecturer = workdir / "lecturer"
    git("clone", "-q", str(bare), str(lecturer), cwd=workdir)
    subprocess.run(["chmod", "-R", "a+rX", str(workdir)], check=True)
    return bare, lecturer


def remove_students() -> None:
    for name in STUDENTS:
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        subprocess.run(["userdel", "--remove", name], capture_output=True)


@contextmanager
def students_removed_afterwards():
    remove_students()  # left over from an interrupted run
    try:
        yield
    finally:
        remove_students()


@pytest.fixture(scope="module")
def hub():
    workdir = Path(tempfile.mkdtemp(prefix="hub-", dir="/tmp"))
    workdir.chmod(0o755)  # the students' git must read the course repository in it
    log = workdir / "jupyterhub.log"
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        stack.callback(lambda: log.exists() and shutil.copy(log, ROOT / "build" / "hub-jupyterhub.log"))
        stack.enter_context(students_removed_afterwards())
        python = Path(os.path.realpath(sys.executable))
        stack.enter_context(passable_for_students(Path(sys.prefix) / "bin", python))
        bare, lecturer = make_course(workdir)
        # The course is served over git's own protocol, as from GitHub: git refuses to clone a
        # repository on disk that another user owns.
        git_port = free_port()
        stack.enter_context(running(
            ["git", "daemon", "--reuseaddr", "--export-all", f"--base-path={workdir}", "--listen=127.0.0.1",
             f"--port={git_port}", str(workdir)],
            workdir / "git-daemon.log",
        ))
        repo = f"git://127.0.0.1:{git_port}/{bare.name}"
        ports = {"public": free_port(), "hub": free_port(), "proxy": free_port()}
        config = workdir / "jupyterhub_config.py"
        config.write_text(hub_config(workdir, ports))
        (workdir / "class.txt").write_text("\n".join(STUDENTS) + "\n")
        class_env = {"CLASS_LIST": str(workdir / "class.txt"), "CLASS_PASSWORD": PASSWORD,
                     "COURSE_REPO": repo}
        process = stack.enter_context(running(
            [str(Path(sys.prefix) / "bin" / "jupyterhub"), "-f", str(config)], log,
            cwd=workdir, env=dict(os.environ, **class_env, CONFIGPROXY_AUTH_TOKEN="test-proxy-token"),
        ))
        url = f"http://127.0.0.1:{ports['public']}"

        def answering() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"JupyterHub stopped; see {log}")
            try:
                with urllib.request.urlopen(f"{url}/hub/health", timeout=2) as answer:
                    return answer.status == 200
            except OSError:
                return False

        until(answering, f"JupyterHub to answer at {url}; see {log}", 120, every=0.5)
        # README's link, with this hub for YOUR-HUB and the local course for the public repository.
        query = {key: values[0] for key, values in parse_qs(urlsplit(readme_link()).query).items()}
        link = f"{url}/hub/user-redirect/git-pull?" + urlencode({**query, "repo": repo})
        yield Hub(url, link, workdir, lecturer, ClassMemory(psutil.Process(process.pid)))


def new_page(browser):
    return browser.new_page(viewport={"width": 1280, "height": 1000})


def log_in(page, student: str) -> None:
    """Fill in the hub's login form the page shows."""
    page.locator("#username_input").wait_for(timeout=120_000)
    page.fill("#username_input", student)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")


def open_course_map(page, hub: Hub, student: str | None = None) -> None:
    """Click the README's link (logging in as `student` when the hub asks) and wait for the course
    map: the server starts, nbgitpuller copies or updates the course, and JupyterLab opens 00."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(hub.link, timeout=600_000)
    if student:
        log_in(page, student)
    heading = page.locator(f"{CURRENT} .jp-MarkdownOutput h1", has_text="00 · Start here")
    failed = page.locator("div.error, #progress-message:has-text('failed'), .progress-bar-danger")
    try:
        heading.or_(failed).first.wait_for(timeout=600_000)
        if failed.count():
            shot(page, "hub-error")
            raise AssertionError(f"the hub says: {failed.first.inner_text()} (at {page.url})")
    except PlaywrightTimeout:
        name = urlsplit(page.url).path.strip("/").replace("/", "-")
        shot(page, f"stuck-{name}")
        raise AssertionError(f"the course map did not open; the page is at {page.url}") from None


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def work_through_a_chapter(hub: Hub, student: str) -> dict:
    """One student's first lesson: log in, click the link, open 01 from the map, run it, move its explorer."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = new_page(browser)
        open_course_map(page, hub, student)
        shot(page, f"{student}-course-map")
        page.locator(f"{CURRENT} .jp-MarkdownOutput a[href*='{CHAPTER}']").first.click()
        page.locator(".lm-TabBar-tab.lm-mod-current", has_text=CHAPTER).wait_for(timeout=120_000)
        run_all(page, CHAPTER)
        explorer = next(w for w in page.locator(WIDGET_OUTPUT).all() if w.locator("img").count())
        picture = explorer.locator("img").first
        picture.scroll_into_view_if_needed()
        before = picture.screenshot()
        nudge(page, explorer)
        changed(picture, before, timeout=120)
        shot(page, f"{student}-explorer-moved")
        if student == STUDENTS[0]:
            edit_exercise(page)
        browser.close()
    return {"student": student}


def edit_exercise(page) -> None:
    """Type an answer into chapter 01's first exercise cell and save, as a student does."""
    cell = page.locator(f"{CURRENT} .jp-CodeCell", has_text='helpers.check("01-derivative"').first
    cell.scroll_into_view_if_needed()
    line = cell.locator(".cm-line", has_text="answer = ...").first
    line.click()
    page.keyboard.press("End")
    page.keyboard.press("Shift+Home")
    page.keyboard.type(STUDENT_LINE)
    page.keyboard.press("Control+s")
    page.wait_for_function(f"() => !document.querySelector('{CURRENT}').title?.includes('*')"
                           " && !document.querySelector('.lm-TabBar-tab.lm-mod-current.jp-mod-dirty')",
                           timeout=60_000)


def test_five_students_land_in_their_own_copy_and_move_an_explorer(hub):
    with Every(0.5, hub.memory.sample), ThreadPoolExecutor(len(STUDENTS)) as pool:
        done = [f.result() for f in [pool.submit(work_through_a_chapter, hub, s) for s in STUDENTS]]
    assert [d["student"] for d in done] == STUDENTS
    for student in STUDENTS:
        copy = hub.home(student)
        assert (copy / "notebooks" / CHAPTER).exists(), f"{student} has no copy of the course in {copy}"
        assert copy.stat().st_uid == pwd.getpwnam(student).pw_uid, f"{student}'s copy belongs to someone else"
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(hub.memory.report(), encoding="utf-8")
    print("\n" + hub.memory.report())
    assert set(hub.memory.peaks) == set(STUDENTS), "every student's server was measured"
    guarantee = byte_size(shipped_settings().Spawner.mem_guarantee)
    for student, peak in hub.memory.peaks.items():
        assert peak.total <= guarantee, (
            f"{student} held {peak.total / MB:.0f} MB, above the memory guarantee the class is planned with "
            f"({guarantee / MB:.0f} MB): raise it in deploy/ and README's capacity table\n"
            + hub.memory.report()
        )


def test_each_students_server_runs_with_the_class_settings(hub):
    """What keeps a class within the capacity table reaches every student's server: the memory limit
    announced to the course's kernel manager, idle kernels culled; and the hub runs its idle culler."""
    settings = shipped_settings()
    servers = {student_of(p): p for p in hub.memory.hub.children() if student_of(p)}
    assert set(servers) == set(STUDENTS), f"servers running: {sorted(servers)}"
    for student, process in servers.items():
        assert int(process.environ()["MEM_LIMIT"]) == byte_size(settings.Spawner.mem_limit), student
        assert set(settings.Spawner.args) <= set(process.cmdline()), f"{student}: {process.cmdline()}"
    culler = [p for p in hub.memory.hub.children() if "jupyterhub_idle_culler" in " ".join(p.cmdline())]
    assert culler, "the hub runs no idle culler"


def test_a_students_kernel_imports_helpers_from_their_own_copy(hub):
    student = STUDENTS[1]
    found = run_as(student, "import helpers; print(helpers.__file__)")
    assert found.startswith(str(hub.home(student))), found


def run_as(student: str, code: str) -> str:
    """What `code` prints when run as `student`, in the environment and PYTHONPATH of their server."""
    account = pwd.getpwnam(student)
    env = {"HOME": account.pw_dir, "PATH": os.environ["PATH"], "PYTHONPATH": f"{account.pw_dir}/{FOLDER}"}
    done = subprocess.run(["runuser", "-u", student, "--", sys.executable, "-c", code],
                          capture_output=True, text=True, env=env, cwd=account.pw_dir)
    return done.stdout + done.stderr


def test_no_student_can_read_or_write_another_students_files(hub):
    owner, other = STUDENTS[0], STUDENTS[1]
    target = hub.home(owner) / "notebooks" / CHAPTER
    read = run_as(other, f"open({str(target)!r}).read()")
    assert "PermissionError" in read, f"{other} could read {target}: {read}"
    write = run_as(other, f"open({str(hub.home(owner) / 'intruder.txt')!r}, 'w').write('x')")
    assert "PermissionError" in write, f"{other} could write into {owner}'s home: {write}"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = new_page(browser)
        open_course_map(page, hub, other)
        answer = page.goto(f"{hub.url}/user/{owner}/api/contents/{FOLDER}/notebooks/{CHAPTER}")
        shot(page, "another-students-server")
        assert answer.status == 403, f"{other} asked {owner}'s server for a notebook: HTTP {answer.status}"
        browser.close()


def test_an_update_reaches_a_student_and_keeps_their_edit(hub):
    student = STUDENTS[0]
    mine = hub.home(student) / "notebooks" / CHAPTER
    assert STUDENT_LINE in mine.read_text(), f"{student}'s saved edit is not in {mine}"
    # The lecturer changes the chapter's opening text and adds a chapter, and pushes.
    chapter = hub.lecturer / "notebooks" / CHAPTER
    notebook = json.loads(chapter.read_text())
    first = notebook["cells"][0]
    first["source"] = [*first["source"][:-1], first["source"][-1].rstrip("\n") + "\n\n", LECTURER_SENTENCE]
    chapter.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
    extra = {"cells": [{"cell_type": "markdown", "id": "title", "metadata": {},
                        "source": ["# 12 · A chapter the lecturer added"]}],
             "metadata": notebook["metadata"], "nbformat": 4, "nbformat_minor": 5}
    (hub.lecturer / "notebooks" / NEW_CHAPTER).write_text(json.dumps(extra, indent=1) + "\n")
    git("add", "-A", cwd=hub.lecturer)
    git("-c", "user.name=Lecturer", "-c", "user.email=lecturer@example.org", "commit", "-q", "-m", "week 2",
        cwd=hub.lecturer)
    git("push", "-q", "origin", "main", cwd=hub.lecturer)

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = new_page(browser)
        open_course_map(page, hub, student)  # logs in and clicks the link again
        page.goto(f"{hub.url}/user/{student}/lab/tree/{FOLDER}/notebooks/{NEW_CHAPTER}")
        title = page.locator(f"{CURRENT} .jp-MarkdownOutput h1", has_text="12 · A chapter the lecturer added")
        title.wait_for(timeout=120_000)
        shot(page, "after-update-new-chapter")
        page.goto(f"{hub.url}/user/{student}/lab/tree/{FOLDER}/notebooks/{CHAPTER}")
        page.locator(f"{CURRENT} .jp-MarkdownOutput", has_text=LECTURER_SENTENCE).wait_for(timeout=120_000)
        page.locator(f"{CURRENT} .jp-CodeCell .cm-line", has_text=STUDENT_LINE).wait_for(timeout=60_000)
        shot(page, "after-update-edit-kept")
        browser.close()
    text = mine.read_text()
    assert LECTURER_SENTENCE in text and STUDENT_LINE in text


def test_the_shipped_config_opens_what_the_readme_link_opens():
    """Logging in at the hub (default_url) and clicking README's link pull the same course the same way."""
    default = parse_qs(urlsplit(shipped_settings().Spawner.default_url).query)
    assert default == parse_qs(urlsplit(readme_link()).query)


