"""The what-if interaction both browser tests perform, with hand-worked expected states.

Catalog: tests/data/whatif_catalog.csv. The panel starts on the billing page's Ulanqab
GU108 pair (23,932.70 USD/month, 0.73 USD/minute) at 8 h/day, 1 node, 1 month of 730 h;
u h/day is u x 60 x 730 / 24 = 1,825 u minutes a month.
"""

from __future__ import annotations

from pathlib import Path

CATALOG = Path(__file__).parents[1] / "data" / "whatif_catalog.csv"
SUMMARY = ".pai-whatif-summary"
CHART = ".pai-whatif-chart .js-plotly-plot"
#: Kernel start and imports on a busy 2-core machine; typical is 5-8 s.
FIRST_RENDER_MS = 90_000
UPDATE_MS = 20_000

# 8 h/day: 0.73 x 14,600 = 10,658.00; saving 23,932.70 - 10,658.00 = 13,274.70.
# Break-even 23,932.70 / 0.73 = 32,784.52 min / 43,800 = 74.9% = 17.96 h/day.
START = (
    "At 8 h/day on 1 node for 1 month (a month = 730 h): pay-as-you-go is cheaper,"
    " 10,658.00 USD against 23,932.70 USD by subscription, saving 13,274.70 USD."
    " Break-even: 17.96 h/day (74.9% utilization)."
)
# Eight 0.25 h steps to 10 h/day: 0.73 x 18,250 = 13,322.50; saving 10,610.20.
AFTER_SLIDER = (
    "At 10 h/day on 1 node for 1 month (a month = 730 h): pay-as-you-go is cheaper,"
    " 13,322.50 USD against 23,932.70 USD by subscription, saving 10,610.20 USD."
    " Break-even: 17.96 h/day (74.9% utilization)."
)
# Singapore test-a at 10 h/day: 0.05 x 18,250 = 912.50 against 1,000.00; saving 87.50.
# Break-even 1,000 / 0.05 = 20,000 min / 43,800 = 45.7% = 10.96 h/day.
AFTER_REGION = (
    "At 10 h/day on 1 node for 1 month (a month = 730 h): pay-as-you-go is cheaper,"
    " 912.50 USD against 1,000.00 USD by subscription, saving 87.50 USD."
    " Break-even: 10.96 h/day (45.7% utilization)."
    " Built on illustrative prices: not Alibaba Cloud quotes."
)


def wait_for_summary(page, expected: str, timeout: float) -> None:
    """Wait until the summary reads exactly ``expected``; fail showing what it reads."""
    try:
        page.wait_for_function(
            "([sel, text]) => document.querySelector(sel)?.innerText.trim() === text",
            arg=[SUMMARY, expected],
            timeout=timeout,
        )
    except Exception as error:  # playwright's TimeoutError: say what the page shows
        shown = page.locator(SUMMARY).all_inner_texts() if page.locator(SUMMARY).count() else []
        raise AssertionError(
            f"summary never read {expected!r}; it reads {shown!r};"
            f" console errors: {getattr(page, 'console_errors', [])}"
        ) from error


def wait_for_marker(page, x: list[float], y: list[float], timeout: float = UPDATE_MS) -> None:
    """Wait until the chart's current-usage marker (trace 3) sits at exactly (x, y)."""
    try:
        page.wait_for_function(
            "([sel, want]) => { const gd = document.querySelector(sel);"
            " return !!gd?.data && JSON.stringify([Array.from(gd.data[3].x),"
            " Array.from(gd.data[3].y)]) === JSON.stringify(want); }",
            arg=[CHART, [x, y]],
            timeout=timeout,
        )
    except Exception as error:
        shown = page.locator(CHART).evaluate(
            "gd => gd.data?.[3] ? [gd.data[3].x, gd.data[3].y] : 'not drawn yet'"
        )
        raise AssertionError(f"marker never at {[x, y]}; it is at {shown}") from error


def chart_data(page) -> list[dict]:
    """Name, x and y of every trace the browser draws."""
    return page.locator(CHART).evaluate(
        "gd => gd.data.map(t => ({name: t.name, x: Array.from(t.x), y: Array.from(t.y)}))"
    )


def check_what_if(page) -> None:
    """Read the first render, move the usage slider, change the region; check each state."""
    wait_for_summary(page, START, FIRST_RENDER_MS)
    # the chart is part of the first render: drawn after the summary on a busy machine
    page.wait_for_selector(CHART, timeout=FIRST_RENDER_MS)
    wait_for_marker(page, [8, 8], [23932.7, 10658], FIRST_RENDER_MS)
    provenance = page.inner_text(".pai-whatif-provenance")
    assert "documented: Alibaba Cloud help" in provenance
    assert "Catalog note: ASSUMPTION" in provenance

    handle = page.locator(".pai-whatif-usage .noUi-handle")
    handle.focus()
    for _ in range(8):  # the slider's step is 0.25 h/day
        handle.press("ArrowRight")
    wait_for_summary(page, AFTER_SLIDER, UPDATE_MS)
    wait_for_marker(page, [10, 10], [23932.7, 13322.5])

    page.select_option(".pai-whatif-region select", label="Singapore - ap-southeast-1")
    wait_for_summary(page, AFTER_REGION, UPDATE_MS)
    wait_for_marker(page, [10, 10], [1000, 912.5])
    traces = chart_data(page)
    assert [t["name"] for t in traces] == [
        "subscription",
        "pay-as-you-go",
        "break-even",
        "at 10 h/day",
    ]
    assert traces[0]["y"] == [1000, 1000]
    payg = dict(zip(traces[1]["x"], traces[1]["y"], strict=True))
    assert (payg[0], payg[10], payg[24]) == (0, 912.5, 2190)  # 0.05 x 1,825 x u
    assert abs(traces[2]["x"][0] - 20_000 / 1_825) < 1e-9  # 10.9589... h/day
    assert "illustrative" in page.inner_text(".pai-whatif-provenance")
