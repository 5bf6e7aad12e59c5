"""Scenarios of the instructor's room: each drives several of grader/instructor's modules end to end (plain
nbgrader, `python -m grader`, a Dask cluster, JupyterHub) on a throw-away course. The unit tests of one module
each are tests/instructor/test_<module>.py."""
