"""The forecast's refusal, without the forecast's imports (the command line loads it at start)."""


class ForecastError(ValueError):
    """A forecast that cannot be made for what was asked (no data for the year, a bad peildatum,
    too little history); the message is Dutch and says why."""
