"""nbgrader settings of the instructor's server (JUPYTER_CONFIG_PATH points here for instructors):
the formgrader works on the instructor's private course folder and reads that course's own
nbgrader_config.py (source folder, gradebook, time limits, where the hidden tests find solutions/)."""
import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

course = os.path.expanduser(os.environ.get("BACKPROP_LAB_COURSE", "~/backprop-lab"))
c.CourseDirectory.root = course
if os.path.isfile(os.path.join(course, "nbgrader_config.py")):
    load_subconfig(os.path.join(course, "nbgrader_config.py"))  # noqa: F821 - provided by traitlets
