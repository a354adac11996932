"""Every Python example of docs/hdf5-layout.md runs, in order and as written, on a real results
file (at out/baseline.h5 and results/baseline.h5, the names the examples use): the documentation cannot drift from the
files plansim writes."""
import contextlib
import io
import re

from conftest import SOURCE_DIR

DOC = SOURCE_DIR / "docs" / "hdf5-layout.md"


def python_blocks():
    text = DOC.read_text(encoding="utf-8")
    blocks = []
    for match in re.finditer(r"^```python\n(.*?)^```", text, re.S | re.M):
        line = text.count("\n", 0, match.start()) + 2
        blocks.append((line, match.group(1)))
    return blocks


def test_the_layout_doc_has_examples():
    assert len(python_blocks()) >= 5


def test_every_example_runs_on_a_results_file(in_docs_layout):
    namespace = {}  # shared, as in one session: later examples use names of earlier ones
    for line, code in python_blocks():
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                exec(compile(code, f"{DOC.name}:{line}", "exec"), namespace)
        except Exception as error:  # name the example that broke
            raise AssertionError(f"docs/hdf5-layout.md example at line {line} failed: "
                                 f"{type(error).__name__}: {error}") from error
