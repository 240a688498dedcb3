import pytest
from pathlib import Path
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus not present")
    return CORPUS
