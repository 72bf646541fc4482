"""The tooling that builds the course from a clone: stored outputs, figures, handout, editions,
benchmarks. Notebooks never import it; it imports the notebook helpers (cramplab.*), never the
other way round.

Every command here writes into a clone of the repository, which it finds from the working
directory (cramplab.paths.find_clone).
"""
