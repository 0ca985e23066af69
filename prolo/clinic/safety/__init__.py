"""The safety engine's pure calculations: no database, no Django models in signatures where
avoidable, so the staff pages, the session workflow and the command line share one
implementation and the tests can drive it with any input."""
