"""Propscope's views: one small class per visual, fed only by snapshots."""
