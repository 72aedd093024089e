"""``python -m bench``: the national-scale benchmark of issue 9 (see bench/cli.py)."""
