"""Tools for the project's own documents and builds (the guides' screenshots); not part of the
program an admin runs.
"""
