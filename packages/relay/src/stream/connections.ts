import type { StreamClient } from './client.ts'

interface ProjectClients {
  all: Set<StreamClient>
  sessions: Map<string, Set<StreamClient>>
}

/** The SSE connections this node holds, by project and by session. */
export class Connections {
  readonly #projects = new Map<string, ProjectClients>()
  #count = 0

  get count(): number {
    return this.#count
  }

  add(client: StreamClient): void {
    let project = this.#projects.get(client.projectId)
    if (!project) this.#projects.set(client.projectId, (project = { all: new Set(), sessions: new Map() }))
    project.all.add(client)
    let session = project.sessions.get(client.sessionId)
    if (!session) project.sessions.set(client.sessionId, (session = new Set()))
    session.add(client)
    this.#count++
  }

  remove(client: StreamClient): void {
    const project = this.#projects.get(client.projectId)
    if (!project?.all.delete(client)) return
    this.#count--
    const session = project.sessions.get(client.sessionId)
    session?.delete(client)
    if (session?.size === 0) project.sessions.delete(client.sessionId)
    if (project.all.size === 0) this.#projects.delete(client.projectId)
  }

  /** Who a frame is for: the session's connections, or (`null`) every connection of the project. */
  of(projectId: string, session: string | null): ReadonlySet<StreamClient> | undefined {
    const project = this.#projects.get(projectId)
    return session === null ? project?.all : project?.sessions.get(session)
  }

  /** Every connection, as a list that stays whole while they close. */
  all(): StreamClient[] {
    return [...this.#projects.values()].flatMap((project) => [...project.all])
  }
}
