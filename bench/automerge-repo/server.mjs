// automerge-repo sync server, configured the way automerge-repo-sync-server
// (the official deployable server) configures it: a Repo with a
// NodeWSServerAdapter on a `ws` WebSocketServer that takes upgrades from a
// plain HTTP server, NodeFSStorageAdapter for durable on-disk storage, and
// `sharePolicy: async () => false` (it only syncs documents a client asks
// for by id). The official server adds express only to serve a static page.
//
// Usage: node server.mjs --port P --data DIR [--keepalive-ms MS]
//   --port 0 picks a free port. Once listening, prints exactly one line
//   `listening <port>` to stdout. Diagnostics go to stderr.
//   Exits 0 on SIGTERM / SIGINT after flushing the repo to disk.
//   --keepalive-ms is NodeWSServerAdapter's ping interval (default 5000, the
//   library default the official server runs with); a client that has not
//   answered the previous ping when the next one is due is terminated.

import fs from "node:fs"
import http from "node:http"
import os from "node:os"
import { parseArgs } from "node:util"
import { WebSocketServer } from "ws"
import { Repo } from "@automerge/automerge-repo"
import { NodeWSServerAdapter } from "@automerge/automerge-repo-network-websocket"
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs"

// automerge-repo reports some internal errors with console.log; keep stdout
// for the one `listening <port>` line.
console.log = console.error
console.info = console.error
console.debug = console.error

function die(msg) {
  process.stderr.write(`server.mjs: ${msg}\n`)
  process.exit(2)
}

let args
try {
  args = parseArgs({
    options: {
      port: { type: "string" },
      data: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      // NodeWSServerAdapter's default, as in the official sync server.
      "keepalive-ms": { type: "string", default: "5000" },
    },
    strict: true,
  }).values
} catch (e) {
  die(`${e.message}\nusage: node server.mjs --port P --data DIR [--keepalive-ms MS]`)
}
if (args.port === undefined || args.data === undefined) {
  die("usage: node server.mjs --port P --data DIR [--keepalive-ms MS]")
}
const keepAliveMs = Number(args["keepalive-ms"])
if (!Number.isInteger(keepAliveMs) || keepAliveMs < 1) {
  die(`invalid --keepalive-ms ${args["keepalive-ms"]}`)
}
const port = Number(args.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  die(`invalid --port ${args.port}`)
}

fs.mkdirSync(args.data, { recursive: true })

const wss = new WebSocketServer({ noServer: true })
const repo = new Repo({
  network: [new NodeWSServerAdapter(wss, keepAliveMs)],
  storage: new NodeFSStorageAdapter(args.data),
  peerId: `storage-server-${os.hostname()}`,
  // Since this is a server, we don't share generously: we only sync
  // documents clients already know about and ask for by id.
  sharePolicy: async () => false,
})

const httpServer = http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/plain" })
  res.end("automerge-repo sync server is running\n")
})
httpServer.on("upgrade", (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, ws => {
    wss.emit("connection", ws, request)
  })
})

// Diagnostics (stderr only): say when the adapter's keep-alive drops a client
// whose pong did not arrive within the keep-alive interval, which
// happens when either side's event loop is saturated.
let keepAliveDrops = 0
wss.on("connection", ws => {
  const terminate = ws.terminate.bind(ws)
  ws.terminate = () => {
    ws.keepAliveTerminated = !stopping
    terminate()
  }
  ws.on("close", () => {
    if (ws.keepAliveTerminated) {
      keepAliveDrops++
      process.stderr.write(
        `server.mjs: keep-alive terminated an unresponsive client (${keepAliveDrops} so far)\n`,
      )
    }
  })
})
httpServer.on("error", err => die(`listen failed: ${err.message}`))
httpServer.listen(port, args.host, () => {
  const actual = httpServer.address().port
  process.stdout.write(`listening ${actual}\n`)
})

let stopping = false
async function stop(signal) {
  if (stopping) return
  stopping = true
  const cpu = process.cpuUsage()
  process.stderr.write(
    `server.mjs: ${signal}, shutting down (CPU used since start: ` +
      `${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)\n`,
  )
  // Hard deadline so a stuck flush can't keep the process alive.
  setTimeout(() => {
    process.stderr.write("server.mjs: shutdown timed out\n")
    process.exit(1)
  }, 5000).unref()
  try {
    // Disconnects the websocket adapter (terminates client sockets) and
    // writes every open document to storage.
    await repo.shutdown()
  } catch (e) {
    process.stderr.write(`server.mjs: flush failed: ${e?.stack ?? e}\n`)
  }
  wss.close()
  httpServer.closeAllConnections?.()
  httpServer.close(() => process.exit(0))
}
process.on("SIGTERM", () => void stop("SIGTERM"))
process.on("SIGINT", () => void stop("SIGINT"))
