"""The dashboard in a real browser: Debian's chromium, driven by Playwright's Python client.

``make test`` installs chromium (tools/install_system_deps.sh) and Solara's browser files
(tools/solara_assets.py). Each test starts ``resettle dashboard`` on loopback, loads the page,
changes controls, steps the model and checks that the page changed; screenshots are saved in
``outputs/browser_test/`` for review. Set RESETTLE_NO_BROWSER=1 to skip these on a machine
without chromium (CI never sets it).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "outputs" / "browser_test"
# headless flags for this workplace's closed network (the env notes): no background traffic
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT_S = 90  # server start: imports, numba compilation on a cold cache
STOP_TIMEOUT_S = 20  # uvicorn's graceful shutdown with a browser still connected
UI_TIMEOUT_MS = 60_000  # one model build or a few months of stepping on a loaded 2-core machine

if os.environ.get("RESETTLE_NO_BROWSER") == "1" and not os.environ.get("CI"):
    pytest.skip("RESETTLE_NO_BROWSER=1", allow_module_level=True)
from playwright import sync_api  # noqa: E402  (a test extra: missing means a broken set-up)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"dashboard exited with {server.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"dashboard did not answer within {START_TIMEOUT_S} s")


@pytest.fixture(scope="module", params=["en", "zh"])
def served(request, tmp_path_factory):
    """(url, lang, server log) of a dashboard running in a child process."""
    assert Path(CHROMIUM).exists(), (
        f"{CHROMIUM} is missing: run 'bash tools/install_system_deps.sh' (make test does)")
    lang, port = request.param, free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "resettle.cli", "dashboard", "--lang", lang,
             "--host", "127.0.0.1", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(url, server, log)
        yield url, lang, log
    finally:
        stop(server)


def stop(server: subprocess.Popen) -> None:
    """Stop the server and anything it started (its process group); kill it if it lingers."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return  # already gone (e.g. it failed to start, which was reported)
        try:
            server.wait(timeout=STOP_TIMEOUT_S)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture
def page(served, tmp_path):
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=FLAGS, headless=True,
            viewport={"width": 1500, "height": 1200})
        errors: list[str] = []
        tab = context.new_page()
        tab.on("pageerror", lambda err: errors.append(str(err)))
        tab.set_default_timeout(UI_TIMEOUT_MS)
        tab.goto(served[0])
        yield tab, served[1], errors
        context.close()


WORDS = {
    "en": {"month0": "Month 0 of 180", "horizon": "Horizon (years)", "switch": "Switch",
           "switch_to": "to Scheme 2 after the year below", "switch_year": "Switch after year",
           "rejected": "These settings were rejected", "scheme": "Scheme 1 (transitional)"},
    "zh": {"month0": "第 0 个月，共 180 个月", "horizon": "模拟年限（年）", "switch": "方案转换",
           "switch_to": "在下列年份后转为方案二", "switch_year": "第几年后转换",
           "rejected": "设置未通过校验", "scheme": "方案一（过渡型）"},
}


def charts(tab) -> list[str]:
    """The src of every chart image on the page (matplotlib PNGs as data URLs)."""
    return tab.locator("img").evaluate_all("els => els.map(e => e.src)")


def settled_charts(tab, pause_ms: int = 1000) -> list[str]:
    """The charts once they stop changing (two reads ``pause_ms`` apart agree)."""
    tab.wait_for_function("document.querySelectorAll('main img').length >= 4")
    previous = charts(tab)
    for _ in range(UI_TIMEOUT_MS // pause_ms):
        tab.wait_for_timeout(pause_ms)
        now = charts(tab)
        if now == previous:
            return now
        previous = now
    pytest.fail("the charts kept changing with the model stopped")


def slider(tab, label: str):
    return tab.locator(".v-slider").filter(has_text=label).locator("[role=slider]").first


def click_button(tab, name: str, timeout: float | None = None) -> None:
    tab.get_by_role("button", name=re.compile(f"^{name}$", re.I)).click(timeout=timeout)


PLAY_MONTHS = 36  # play three years so that the screenshot shows the curves


PAUSE_TIMEOUT_MS = 10_000  # the pause button is enabled at once while the model plays


def play_until(tab, lang: str, months: int, horizon: int) -> None:
    """Press play, wait until the status passes ``months``, press pause.

    On a loaded machine the page can redraw so far behind the model thread that the run reaches
    its horizon (and Mesa disables the pause button) before the click: then the status must
    show the last month of the horizon, the other way the model stops."""
    click_button(tab, "▶")
    pattern = r"Month (\d+) of" if lang == "en" else r"第 (\d+) 个月"
    tab.wait_for_function(
        "([p, n]) => { const m = document.querySelector('main').innerText.match(new RegExp(p));"
        " return m && Number(m[1]) >= n; }", arg=[pattern, months], timeout=4 * UI_TIMEOUT_MS)
    try:
        click_button(tab, "❚❚", timeout=PAUSE_TIMEOUT_MS)
    except sync_api.TimeoutError:
        last = (f"Month {horizon} of {horizon}" if lang == "en"
                else f"第 {horizon} 个月，共 {horizon} 个月")
        tab.get_by_text(last).wait_for()
        return
    tab.get_by_role("button", name="▶").wait_for()


def status_text(tab) -> str:
    return tab.locator("main").inner_text()


def test_dashboard_loads_steps_and_reacts_to_a_slider(page):
    tab, lang, errors = page
    words = WORDS[lang]
    tab.get_by_text(words["month0"]).wait_for()
    assert words["scheme"] in status_text(tab)
    horizon = slider(tab, words["horizon"])
    horizon.focus()
    for _ in range(5):
        horizon.press("ArrowRight")  # 15 → 20 years
    click_button(tab, "Reset")
    month0_20 = "Month 0 of 240" if lang == "en" else "第 0 个月，共 240 个月"
    tab.get_by_text(month0_20).wait_for()
    before = settled_charts(tab)  # the new model's month 0: only stepping changes them now
    for _ in range(3):
        click_button(tab, "Step")
    month3 = "Month 3 of 240" if lang == "en" else "第 3 个月，共 240 个月"
    tab.get_by_text(month3).wait_for()
    tab.wait_for_function(  # at least 3 of the 4 charts redrawn with the new months
        "before => { const now = [...document.querySelectorAll('main img')].map(e => e.src);"
        " return now.length >= 4 && now.filter((src, i) => src !== before[i]).length >= 3; }",
        arg=before)
    play_until(tab, lang, PLAY_MONTHS, horizon=240)
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"dashboard-{lang}.png"), full_page=True)
    assert not errors, errors


def test_rejected_settings_show_the_message_and_the_session_survives(page):
    tab, lang, errors = page
    words = WORDS[lang]
    tab.get_by_text(words["month0"]).wait_for()
    tab.locator(".v-select").filter(has_text=words["switch"]).first.click()
    tab.get_by_role("option", name=words["switch_to"]).click()
    year = slider(tab, words["switch_year"])
    year.focus()
    year.press("End")  # year 30, beyond the 15-year horizon
    click_button(tab, "Reset")
    tab.get_by_text(words["rejected"]).wait_for()
    assert "[switch] year: 30 is beyond the horizon" in status_text(tab)
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"dashboard-rejected-{lang}.png"), full_page=True)
    year.focus()
    year.press("Home")  # year 0: valid again
    click_button(tab, "Reset")
    tab.get_by_text(words["rejected"]).wait_for(state="detached")
    tab.get_by_text(words["month0"]).wait_for()
    click_button(tab, "Step")
    month1 = "Month 1 of 180" if lang == "en" else "第 1 个月，共 180 个月"
    tab.get_by_text(month1).wait_for()
    assert not errors, errors
