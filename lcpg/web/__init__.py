"""The web process (`lcpg serve`): calendar feeds over HTTP and the partnership's dashboard.

``app.create_app`` builds the Flask application from a wired ``lcpg.bootstrap.App``; ``feeds``
serves the feeds (built once per change of the register, answered with ETag and Last-Modified);
``auth`` guards the dashboard with a login when the server is reachable from other machines;
``dashboard`` renders the pages. Served by waitress, a production WSGI server.
"""
