"""Training code for the learned components, one module per model.

``python -m claimgraph.training NAME [options]`` runs ``claimgraph.training.NAME.main``; each
module trains one model from data the project may use (train splits in ``../shared/data``,
openly licensed corpora, and the project's own annotated articles in ``corpus/``), writes its
weights into ``claimgraph/models/NAME/`` and prints its train and dev figures for the model
card beside the weights. See ``README.md`` in this folder.
"""
