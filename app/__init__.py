"""Propscope's desktop application: Qt wiring of core and widgets."""
