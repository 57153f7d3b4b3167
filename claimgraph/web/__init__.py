"""The corpus as a browser UI and a REST API from one FastAPI app (#6): ``claimgraph serve``."""
