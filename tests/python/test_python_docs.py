"""The session of docs/python.md runs, cell after cell and as written, from the repository's root:
the module's documentation cannot drift from the module."""
import contextlib
import io
import os
import re

import pytest

from conftest import SOURCE_DIR

pytest.importorskip("_plansim", reason="the compiled module _plansim is not built "
                    "(pybind11-dev and python3-dev: tools/install-deps.sh)")

DOC = SOURCE_DIR / "docs" / "python.md"


def test_every_cell_of_the_session_runs():
    text = DOC.read_text(encoding="utf-8")
    cells = [(text.count("\n", 0, m.start()) + 2, m.group(1))
             for m in re.finditer(r"^```python\n(.*?)^```", text, re.S | re.M)]
    assert len(cells) >= 5
    namespace = {}
    cwd = os.getcwd()
    os.chdir(SOURCE_DIR)
    try:
        for line, code in cells:
            printed = io.StringIO()
            try:
                with contextlib.redirect_stdout(printed):
                    exec(compile(code, f"{DOC.name}:{line}", "exec"), namespace)
            except Exception as error:
                raise AssertionError(f"docs/python.md cell at line {line} failed: "
                                     f"{type(error).__name__}: {error}") from error
            assert printed.getvalue(), f"docs/python.md cell at line {line} printed nothing"
    finally:
        os.chdir(cwd)
