// What both load generators wait for (client.mjs: one client per process;
// clients.mjs: all clients in one process).

// Resolves once the repo has a connected peer (the server), and returns it.
export function connected(repo) {
  return new Promise(resolve => {
    const check = () => {
      const peer = repo.peers[0]
      if (peer !== undefined) {
        repo.networkSubsystem.off("peer", check)
        resolve(peer)
      }
    }
    repo.networkSubsystem.on("peer", () => setImmediate(check))
    check()
  })
}

const sameHeads = (a, b) =>
  a !== undefined &&
  b !== undefined &&
  a.length === b.length &&
  [...a].sort().join() === [...b].sort().join()

// Resolves once the peer with `storageId` has told us (in a sync message) that
// its heads equal ours, i.e. the server holds the document as we have it.
export function serverHas(handle, storageId) {
  return new Promise(resolve => {
    const check = () => {
      if (sameHeads(handle.getSyncInfo(storageId)?.lastHeads, handle.heads())) {
        handle.off("remote-heads", check)
        resolve()
      }
    }
    handle.on("remote-heads", check)
    check()
  })
}
