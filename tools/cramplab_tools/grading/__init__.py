"""The parts of `make grade` (cramplab_tools.grade): exercises (what is graded and the one
adapter to how answers are stored), submissions (folders, zips, non-notebooks), answers (values
as data, never pickle), sandbox and kernel (running untrusted code contained), gradebook."""
