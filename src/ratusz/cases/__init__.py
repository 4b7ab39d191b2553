"""Electronic document circulation: organisation, JRWA, registers, numbered cases, deadlines."""
