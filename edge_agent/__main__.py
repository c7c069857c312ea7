"""``python -m edge_agent run --config station.toml``: the same as ``foodtrace edge``."""

from edge_agent.cli import app

app(prog_name="python -m edge_agent")
