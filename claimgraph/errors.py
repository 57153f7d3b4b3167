"""One exception root for everything claimgraph raises on purpose.

::

    ClaimgraphError
    ├── InputError              an input cannot be turned into a Document (the CLI skips it, exit 2)
    │   ├── EmptyInput          nothing, or only whitespace/boilerplate, after cleaning
    │   ├── BinaryInput         bytes that are not text or HTML (images, PDFs, archives)
    │   ├── InputTooLarge       over Settings.max_input_bytes
    │   ├── NoArticleBody       an HTML page with no extractable article text
    │   ├── OverBudget          the pipeline ran past Settings.time_budget_s on it (#19)
    │   └── FetchError          a URL that could not be fetched (dead, slow, wrong content type)
    │       └── BlockedAddress  a URL resolving to a private, loopback or link-local address
    ├── PipelineError           the pipeline is misconfigured or a stage broke its contract
    │   └── UnknownStage        a stage name not in the table (message lists the valid ones)
    └── DataFormatError         an evaluation file that does not follow shared/data's format

Every InputError carries the input it is about (``source``) and a short ``reason`` so
that a batch can report "skipped X: reason" and go on.
"""

from __future__ import annotations


class ClaimgraphError(Exception):
    """Root of all deliberate claimgraph errors."""


class InputError(ClaimgraphError):
    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class EmptyInput(InputError):
    pass


class BinaryInput(InputError):
    pass


class InputTooLarge(InputError):
    pass


class NoArticleBody(InputError):
    pass


class OverBudget(InputError):
    pass


class FetchError(InputError):
    pass


class BlockedAddress(FetchError):
    pass


class PipelineError(ClaimgraphError):
    pass


class UnknownStage(PipelineError):
    pass


class DataFormatError(ClaimgraphError):
    pass
