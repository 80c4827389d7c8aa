"""The explorer page in Debian's headless Chromium (Selenium + Debian's chromedriver).

Never downloads anything: the driver path is given and ``SE_OFFLINE=1`` keeps Selenium
Manager offline. Skips only when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from qmgraph.viz.html import write_html
from qmgraph.viz.load import Facts
from tests.viz import dataset as D

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed "
                       "(Debian package chromium; scripts/install-system-deps.sh)"),
]


@pytest.fixture()
def driver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    monkeypatch.setenv("SE_OFFLINE", "1")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                f"--user-data-dir={tmp_path / 'chrome-profile'}", "--window-size=1500,950"):
        opts.add_argument(arg)
    drv = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    try:
        yield drv
    finally:
        drv.quit()


def _wait(predicate, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the page")


def test_search_and_click_a_mirror_edge(driver, facts: Facts, tmp_path: Path) -> None:
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.by import By

    page = write_html(facts, tmp_path / "graph.html")
    driver.get(page.resolve().as_uri())
    _wait(lambda: driver.execute_script("return document.body.dataset.ready") == "1")
    assert driver.execute_script("return window.qmgraph.view()") == "lineage"

    # search by name, then open the result
    driver.find_element(By.ID, "search").send_keys("公安部")
    _wait(lambda: "公安部" in driver.find_element(By.ID, "results").text)
    hit = driver.find_element(By.CSS_SELECTOR, f'#results .hit[data-node="{D.MPS}"]')
    hit.click()
    _wait(lambda: "公安部" in driver.find_element(By.CSS_SELECTOR, "#details h3").text)
    driver.save_screenshot(str(tmp_path / "search.png"))

    # a real click on the canvas, on the mirror edge 四川省公安厅's activity → 公安部's
    mid = driver.execute_script(
        "return window.qmgraph.data.mirrors.find(m => m.link === arguments[0]).id", str(D.L1))
    assert driver.execute_script("return window.qmgraph.focusEdge(arguments[0])", mid)
    point = driver.execute_script("return window.qmgraph.edgeScreenPoint(arguments[0])", mid)
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(int(point["x"]), int(point["y"]))
    actions.pointer_action.click()
    actions.perform()
    _wait(lambda: driver.find_elements(By.CSS_SELECTOR, f'#details [data-edge-id="{mid}"]'))

    source = driver.find_element(By.CSS_SELECTOR, '.mirror-text[data-role="source"]')
    target = driver.find_element(By.CSS_SELECTOR, '.mirror-text[data-role="target"]')
    assert source.text == D.PROV_TEXT
    assert target.text == D.NAT1_TEXT
    marks = [m.text for m in driver.find_elements(By.CSS_SELECTOR, ".mirror-text mark")]
    assert D.EVIDENCE1 in marks
    details = driver.find_element(By.ID, "details").text
    assert "川市监发〔2022〕88号" in details and "国市监质发〔2022〕76号" in details
    driver.save_screenshot(str(tmp_path / "mirror.png"))
    assert (tmp_path / "mirror.png").stat().st_size > 10_000

    # the JS hook reaches the same panel; filters hide what does not match
    assert driver.execute_script("return window.qmgraph.selectEdge(arguments[0])", mid)
    driver.execute_script("window.qmgraph.setFilter('level', 'county')")
    stats = driver.find_element(By.ID, "stats").text
    assert stats.startswith("2 ")  # 武侯区's activity and its organizer
    errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    assert not errors, errors
