"""Every chart in the two forms a notebook output carries: the page's HTML for our template, and a
spec JupyterLab's built-in Vega-Lite 5 renderer draws offline."""

import pandas as pd
import pytest
import vl_convert

from tradebrief import asof, charts, prose

D = pd.Timestamp


def every_chart(facts, on):
    known = asof.known_on(facts, on)
    since = D("2018-01-01")
    path = pd.concat([asof.rate_path(known.tariffs, side, since, on) for side in ("US", "CN")])
    estimates = pd.concat([asof.average_steps(known, side, since, on) for side in ("US", "CN")])
    return {
        "tariff_lines": charts.tariff_lines(path, on, "S.", points=asof.turning_points(known.tariffs, since, on)),
        "tariff_layers": charts.tariff_layers(asof.rate_steps(known.tariffs, "US", since, on), "US", on, "S."),
        "averages": charts.averages(estimates, known.published_averages, on, "S."),
        "average_by_basis": charts.average_by_basis(estimates, on, "S."),
        "duty_stacks": charts.duty_stacks(pd.concat([asof.duty_steps(known, key, since, on) for key in ("steel", "soybeans")]), on, "S."),
        "talks_timeline": charts.talks_timeline(known.talks, on, "S."),
        "tiktok_milestones": charts.tiktok_milestones(known.tiktok, on, "S."),
        "deadline_ladder": charts.deadline_ladder(asof.deadline_ladder(known.tiktok), on, "S."),
        "measures_by_kind": charts.measures_by_kind(prose.live_measures(asof.measures(known, on)), on, "S."),
    }


def test_a_chart_output_has_no_text_html_for_jupyterlab_to_prefer(facts):
    data, metadata = every_chart(facts, D("2025-09-15"))["talks_timeline"]._repr_mimebundle_()
    assert set(data) == {charts.PAGE_MIME, charts.LAB_MIME, "text/plain"}
    assert data["text/plain"] == "Chart: US–China trade talks: meetings and calls"
    assert metadata[charts.LAB_MIME]["embed_options"]["actions"] is False
    assert 'id="tradebrief-chart-' in data[charts.PAGE_MIME]


@pytest.mark.parametrize("vl_version", ["5.8", "5.21"])
@pytest.mark.parametrize("day", ["2025-09-15", "2026-05-29"])
def test_every_chart_draws_under_vega_lite_5(facts, vl_version, day):
    for name, chart in every_chart(facts, D(day)).items():
        svg = vl_convert.vegalite_to_svg(chart.to_dict(), vl_version=vl_version)
        assert svg.count("<path") + svg.count("<line") > 10, name


@pytest.mark.parametrize("day", ["2020-12-01", "2025-09-15", "2025-11-15", "2026-05-29"])
def test_no_chart_label_is_cut_short(facts, day):
    for name, chart in every_chart(facts, D(day)).items():
        svg = vl_convert.vegalite_to_svg(chart.to_dict(), vl_version="5.21")
        assert "…" not in svg, name
