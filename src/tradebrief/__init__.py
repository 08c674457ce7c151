"""The US-China trade briefing kit: facts -> as-of model -> charts and prose -> notebooks -> build -> render."""

__version__ = "0.1.0"
