"""The grading kernels: a launcher that puts each kernel under its memory limit, and a zygote that
forks kernels with numpy and matplotlib already imported. Both run as scripts, by path."""
