"""Justis back office: paper forms (VOG RP, GVA) and applications of persons not registered in the Netherlands."""
