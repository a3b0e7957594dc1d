# A JupyterHub on one server for a seminar: every student logs in, gets a private copy of the course
# through nbgitpuller, and the class stays within the machine's memory. `tests/hub/` runs this file
# (with a test authenticator and free ports) and README's "For lecturers" gives the figures behind it.
#
#   jupyterhub -f deploy/hub/jupyterhub_config.py
#
# Run it as root (the hub starts each student's server as that student) from the course's environment
# (`make setup` or `conda env create -f environment.yml`, then `pip install -r deploy/hub/requirements.txt`),
# with configurable-http-proxy from `npm ci --prefix deploy/hub` on PATH.
# Set CLASS_LIST and CLASS_PASSWORD (who may log in, below), and COURSE_REPO to your fork's git URL to
# hand out your own edition.
import os
import shlex
import sys
from urllib.parse import urlencode

from jupyterhub.auth import LocalAuthenticator
from jupyterhub.authenticators.shared import SharedPasswordAuthenticator

c = get_config()  # noqa: F821 (JupyterHub's config loader provides it)

COURSE_REPO = os.environ.get("COURSE_REPO", "https://github.com/learn-autodiff/gradient-tapes")
COURSE_BRANCH = os.environ.get("COURSE_BRANCH", "main")
FOLDER = "gradient-tapes"  # the copy in each student's home
# Each student's memory: the guarantee a class is planned with and the limit a server may reach
# (README, "A class on a hub"; deploy/z2jh/values.yaml has the same figures).
MEMORY_GUARANTEE = "1.5G"
MEMORY_LIMIT = "2G"
KERNEL_IDLE_SECONDS = 1200  # a chapter's kernel nobody ran a cell in for 20 minutes is shut down
SERVER_IDLE_SECONDS = 3600  # a server nobody used for an hour is stopped (the copy stays)

# Logging in opens the course: nbgitpuller clones it the first time and merges updates later,
# keeping the student's edits, then opens the course map.
PULL = "/git-pull?" + urlencode({
    "repo": COURSE_REPO,
    "branch": COURSE_BRANCH,
    "targetpath": FOLDER,
    "urlpath": f"lab/tree/{FOLDER}/notebooks/00_start_here.ipynb",
})
c.Spawner.default_url = PULL

# The chapters import `helpers` from the student's own copy, so helpers and chapters always come
# from the same commit, whatever the environment was built from.
c.Spawner.environment = {"PYTHONPATH": lambda spawner: os.path.expanduser(f"~{spawner.user.name}/{FOLDER}")}

# Who may log in: the names in the file CLASS_LIST (one a line), with the class's password CLASS_PASSWORD
# (8 characters or more) — fine for a seminar or a workshop. For your institution's single sign-on,
# use one of OAuthenticator's Local… authenticators instead, with the same create_system_users.
class ClassAuthenticator(LocalAuthenticator, SharedPasswordAuthenticator):
    """One password for the class; each student becomes a system user on first login."""


c.JupyterHub.authenticator_class = ClassAuthenticator
c.SharedPasswordAuthenticator.user_password = os.environ.get("CLASS_PASSWORD", "")
if os.environ.get("CLASS_LIST"):
    with open(os.environ["CLASS_LIST"], encoding="utf-8") as names:
        c.Authenticator.allowed_users = {name.strip() for name in names if name.strip()}

# Servers run as the students' own system users, created on first login with homes only they can
# enter: no student can read or write another's files.
c.LocalAuthenticator.create_system_users = True
c.LocalAuthenticator.add_user_cmd = ["useradd", "--create-home", "--key", "HOME_MODE=0700"]
c.Spawner.cmd = [os.path.join(sys.prefix, "bin", "jupyterhub-singleuser")]

# A local server's memory is not enforced by the system (SystemdSpawner or Kubernetes do that), but
# the limit is announced as MEM_LIMIT: the course's kernel manager then keeps only as many chapter
# kernels as fit in it (helpers/kernels.py), and idle kernels are shut down.
c.Spawner.mem_limit = MEMORY_LIMIT
c.Spawner.mem_guarantee = MEMORY_GUARANTEE
c.Spawner.args = [
    f"--MappingKernelManager.cull_idle_timeout={KERNEL_IDLE_SECONDS}",
    "--MappingKernelManager.cull_interval=60",
    "--MappingKernelManager.cull_connected=True",  # a tab left open does not keep a kernel alive
]

# jupyterhub-idle-culler stops servers nobody used for an hour (their files stay).
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": shlex.split(f"{sys.executable} -m jupyterhub_idle_culler --timeout={SERVER_IDLE_SECONDS}"),
}]
