"""``python -m goldideas`` runs the command line."""

from .cli import app

app(prog_name="goldideas")
