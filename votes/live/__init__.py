"""The live room of a sitting: members' phones, the room projector and the staff control page.

- `access`: who sees what (audiences) and the projector's screen links;
- `state`: what each audience sees of a sitting (a selector), and the phone's personal part;
- `commands`: the one dispatcher of vote casting, assisted votes (staff record a present member's
  vote at the desk) and ballot actions, for the socket, the HTTP fallback, the REST API and the
  staff pages;
- `runtime`: the process-wide pieces (the rooms' factory, the sitting cache, the vote batch
  writer); a ballot's countdown is not here but a periodic job of the server (`votes/apps.py`);
- `consumers`: the websocket (docs/realtime-protocol.md); `pages` and `urls`: the pages and the
  HTTP fallback.
"""
