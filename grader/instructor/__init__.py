"""The instructor's room: `python -m grader` and what it runs (release, collect, batch autograde,
the gradebook writer, feedback and reports, the solved notebooks, the known values).

Needs the `instructor` extra (nbgrader, nbclient, tqdm, SQLAlchemy, Dask). May import the student
room (`grader`) and the sandbox room (`grader.sandbox`); neither imports this one."""
