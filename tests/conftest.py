"""Suite-wide hooks."""
from tests.browser import INSTALL_HINT, chromium_path


def pytest_terminal_summary(terminalreporter):
    if chromium_path() is None:
        terminalreporter.write_sep("-", "browser tests skipped")
        terminalreporter.write_line(INSTALL_HINT)
