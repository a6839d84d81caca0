"""Lapis training pipeline: a Python twin of libs/physics' simulator and the refinement network."""
