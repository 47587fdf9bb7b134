"""``python -m pathways``: the same as the ``pathways`` command."""

from pathways.cli import run

if __name__ == "__main__":  # not when a worker process re-imports the main module
    run()
