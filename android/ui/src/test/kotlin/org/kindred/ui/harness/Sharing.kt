package org.kindred.ui.harness

import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import org.junit.jupiter.api.Assertions.assertEquals
import org.kindred.KindredStore
import org.kindred.Role
import org.kindred.SpaceId

/** A whole invite from [person] to [worker] (a writer) with matching strings, both saying yes; returns the share's space. */
suspend fun shareBetween(person: KindredStore, worker: KindredStore): SpaceId = coroutineScope {
    val invite = person.invite(role = Role.WRITER)
    val joining = worker.join(invite.code)
    val a = async { invite.waitForSas() }
    val b = async { joining.waitForSas() }
    assertEquals(a.await(), b.await())
    val added = async { invite.confirm() }
    val joined = joining.confirm()
    added.await()
    invite.close()
    joining.close()
    joined.space!!
}
