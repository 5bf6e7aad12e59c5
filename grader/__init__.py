"""Backprop Lab's checking library and instructor command line (`python -m grader`)."""
from grader.check import WrongAnswer, check_hidden, check_visible

__all__ = ["WrongAnswer", "check_hidden", "check_visible"]
