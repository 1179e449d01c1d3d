"""Chat providers behind :class:`jurisgraph.engine.llm.ChatModel`: Gemini, OpenAI-compatible, none.

Provider modules (and their SDKs) are imported only when built through :func:`build_chat_model`.
"""

from jurisgraph.integrations.llm.base import ChatStream, PurposeModels, StreamPart
from jurisgraph.integrations.llm.factory import PROVIDERS, build_chat_model

__all__ = ["PROVIDERS", "ChatStream", "PurposeModels", "StreamPart", "build_chat_model"]
