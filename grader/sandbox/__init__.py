"""The sandbox room: the trusted re-grade (`trusted`), which runs a submission's code in an isolated
process (`isolate`) and judges what comes back on the host with the student room's checks.

May import the student room (`grader`), never the instructor room."""
