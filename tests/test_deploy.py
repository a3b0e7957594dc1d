"""deploy/ and README's "A class on a hub" say the same: the Zero to JupyterHub values parse, and every
figure in them (memory guarantee and limit, idle times, the pull at login) is the one-server hub's
and the README's capacity table's. The hub itself runs in tests/hub/."""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.deploy_settings import VALUES, byte_size, readme_link, shipped_settings, values
from tools.project import README, ROOT

GB = 1024**3  # JupyterHub and Zero to JupyterHub read 1G as 1024³ bytes
RESERVED = 1 * GB  # kept for the system, the hub and its proxy (README)


IT_PAGE = ROOT / "deploy" / "README.md"


def readme_setting(name: str, page=README) -> str:
    found = re.search(rf"^\| {re.escape(name)} \| `?([^`|]+?)`? \|", page.read_text(), re.M)
    assert found, f"{page.name} has no row for {name!r}"
    return found.group(1)


def readme_seconds(name: str) -> int:
    return int(readme_setting(name).split()[0])


def capacity_rows() -> list[tuple[int, int]]:
    rows = re.findall(r"^\| (\d+) GB \| (\d+) \|$", README.read_text(), re.M)
    return [(int(memory), int(students)) for memory, students in rows]


def kernel_idle_seconds(arguments: list[str]) -> int:
    option = "--MappingKernelManager.cull_idle_timeout="
    (found,) = [a.removeprefix(option) for a in arguments if a.startswith(option)]
    return int(found)


def test_the_values_file_parses_and_sets_what_a_class_needs():
    assert VALUES.exists()
    single = values()["singleuser"]
    assert single["image"]["name"] and single["image"]["tag"]
    assert single["cmd"][0] == "jupyterhub-singleuser"
    assert values()["cull"]["enabled"] is True


def test_memory_figures_agree_everywhere():
    memory = values()["singleuser"]["memory"]
    hub = shipped_settings().Spawner
    guarantee, limit = readme_setting("memory guarantee"), readme_setting("memory limit")
    assert str(memory["guarantee"]) == hub.mem_guarantee == guarantee
    assert str(memory["limit"]) == hub.mem_limit == limit
    assert byte_size(guarantee) < byte_size(limit)


def test_idle_times_agree_everywhere():
    kernel = readme_seconds("a kernel nobody ran a cell in is shut down after")
    server = readme_seconds("a server nobody used is stopped after")
    assert kernel_idle_seconds(values()["singleuser"]["cmd"]) == kernel
    assert kernel_idle_seconds(shipped_settings().Spawner.args) == kernel
    assert values()["cull"]["timeout"] == server
    (culler,) = shipped_settings().JupyterHub.services
    assert f"--timeout={server}" in culler["command"]
    assert kernel < server


def test_the_capacity_table_follows_from_the_guarantee():
    guarantee = byte_size(readme_setting("memory guarantee"))
    rows = capacity_rows()
    assert [memory for memory, _ in rows] == [4, 16, 64]
    for memory, students in rows:
        assert students == math.floor((memory * GB - RESERVED) / guarantee), f"{memory} GB"


@pytest.mark.parametrize("where", ["values", "hub"])
def test_logging_in_pulls_what_the_readme_link_pulls(where):
    settings = values()["singleuser"]["defaultUrl"], shipped_settings().Spawner.default_url
    url = settings[0] if where == "values" else settings[1]
    assert urlsplit(url).path == "/git-pull"
    assert parse_qs(urlsplit(url).query) == parse_qs(urlsplit(readme_link()).query)


def test_helpers_come_from_the_students_copy():
    folder = parse_qs(urlsplit(readme_link()).query)["targetpath"][0]
    assert values()["singleuser"]["extraEnv"]["PYTHONPATH"] == f"/home/jovyan/{folder}"


def test_the_page_for_administrators_gives_the_same_figures():
    assert readme_setting("memory guarantee", IT_PAGE) == readme_setting("memory guarantee")
    assert readme_setting("memory limit", IT_PAGE) == readme_setting("memory limit")
    kernel = readme_setting("idle kernel shut down after", IT_PAGE)
    server = readme_setting("idle server stopped after", IT_PAGE)
    assert int(kernel.split()[0]) == readme_seconds("a kernel nobody ran a cell in is shut down after")
    assert int(server.split()[0]) == readme_seconds("a server nobody used is stopped after")
