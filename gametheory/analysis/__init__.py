"""Analyses built on the model, the solvers and the sweeps (negotiation today)."""
