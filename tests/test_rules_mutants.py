"""Rule tests written to kill surviving mutants of `make mutation` (mutmut over the permission and service modules).
Each test names the behaviour it pins down; the mutant it was written against is noted next to it."""
