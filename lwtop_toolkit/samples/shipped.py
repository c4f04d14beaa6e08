"""Where the sample data shipped with the toolkit lies (the repository's `sample_data/`)."""

from pathlib import Path


def shipped_sample_data() -> Path:
    """The sample data shipped beside the package (the repository's `sample_data/`)."""
    return Path(__file__).resolve().parents[2] / "sample_data"
