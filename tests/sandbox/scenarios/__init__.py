"""Scenarios of the sandbox room: the tamper suites (every attack through trusted.regrade on each backend, through
`python -m grader autograde`, and through plain in-kernel nbgrader) and the trusted re-grade of every assignment.
The unit tests of one module each are tests/sandbox/test_<module>.py."""
