"""nbgrader settings of every user of the course's JupyterHub (installed into the users' environment
as <env>/etc/jupyter/nbgrader_config.py by deploy/jupyterhub/prepare.py)."""
import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

# One course on this hub: the Assignments tab lists the exchange's backprop-lab assignments.
c.CourseDirectory.course_id = "backprop-lab"
# The shared folder every user can write to (mode 1777, created by `prepare.py exchange`).
c.Exchange.root = os.environ.get("BACKPROP_LAB_EXCHANGE", "/srv/nbgrader/exchange")
