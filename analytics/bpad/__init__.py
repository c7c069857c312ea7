"""The BPAD benchmark protocol (Guan et al., IEEE TKDE 2025) re-implemented from its description."""
