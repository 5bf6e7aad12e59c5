"""Tests of grader/instructor/kernels/: one file per module."""
