"""The year-end forecast of totale_kosten and its published backtest (issue 17; docs/prognose.md).

For screens and exports (cached per load through a KpiService):

    from kpi.forecast import cached
    cached.prognose(service, 2026)   # results.PrognoseResultaat: totaal, per_gemeente, per_hulpvorm
    cached.backtest(service)         # results.Backtest: MAPE per origin month, baselines, coverage, goals

Uncached: `year_forecast.forecast(engine, jaar)` and `backtest.backtest(engine)`. The "Hoe
berekend?" texts and the sentences for a forecast are in `texts`; a refusal is `errors.ForecastError`
(Dutch). The command line: `python -m kpi prognose` (`cli`).
"""
