"""The year-at-a-glance picture: every body's meetings across one year, as SVG or HTML.

``model.YearView`` is the plain data to draw (built by the shell from the register and the
planner); ``render`` turns it into an SVG or a printable HTML page. Pure: no I/O, no clock.
"""
