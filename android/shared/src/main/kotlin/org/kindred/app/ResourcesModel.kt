package org.kindred.app

import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import org.kindred.KindredStore
import org.kindred.Resource
import org.kindred.ResourceId
import org.kindred.ResourceKind
import org.kindred.SpaceId
import org.kindred.addResource
import org.kindred.deleteResource
import org.kindred.keepResource
import org.kindred.resources

/** A share a resource can go to, by who it is with. */
data class ShareChoice(val space: String, val name: String)

/** A resource being written. [space] null keeps it on this device's own list. */
data class ResourceDraft(
    val space: String? = null,
    val kind: ResourceKind = ResourceKind.SERVICE,
    val name: String = "",
    val reach: String = "",
    val hours: String = "",
    val address: String = "",
    val notes: String = "",
)

data class ResourcesUi(
    val loading: Boolean = true,
    val resources: List<Resource> = emptyList(),
    val shares: List<ShareChoice> = emptyList(),
    val adding: ResourceDraft? = null,
    /** The resource whose delete waits for a second tap. */
    val confirmDelete: String? = null,
    val message: UiText? = null,
    val error: UiText? = null,
)

interface ResourcesActions {
    fun startAdd() {}
    fun editAdd(change: (ResourceDraft) -> ResourceDraft) {}
    fun cancelAdd() {}
    fun saveAdd(): Job? = null
    fun keep(id: String): Job? = null
    fun askDelete(id: String) {}
    fun cancelDelete() {}
    fun confirmDelete(): Job? = null
}

/** The key for a kind of resource ("resource_kind_food"). */
fun resourceKindKey(kind: ResourceKind): String = when (kind) {
    ResourceKind.SERVICE -> Keys.RESOURCE_KIND_SERVICE
    ResourceKind.GROUP -> Keys.RESOURCE_KIND_GROUP
    ResourceKind.FOOD -> Keys.RESOURCE_KIND_FOOD
    ResourceKind.HOUSING -> Keys.RESOURCE_KIND_HOUSING
    ResourceKind.CRISIS_LINE -> Keys.RESOURCE_KIND_CRISIS_LINE
    ResourceKind.OTHER -> Keys.RESOURCE_KIND_OTHER
}

/**
 * Resources (services, groups, food, housing, lines to call), read from
 * the store so they are there offline. A resource is added to a share
 * (the worker chooses whose), or, with [ownList], kept on this device's
 * own list; one given by someone else can be kept as a copy; only one
 * written here can be deleted. Not tied to the work area.
 */
class ResourcesModel(
    private val store: KindredStore,
    scope: CoroutineScope,
    io: CoroutineContext,
    private val ownList: Boolean = false,
) : StateHolder<ResourcesUi>(ResourcesUi(), scope, io), ResourcesActions {
    override fun failed(message: UiText) = update { it.copy(error = message, message = null) }

    fun refresh(): Job = work {
        val resources = store.resources().sortedWith(compareBy({ it.kind.ordinal }, { it.name.lowercase() }))
        val shares = store.shares().filter { !it.ended }.map { ShareChoice(it.space.value, it.name.removePrefix("with ")) }
        update { it.copy(loading = false, resources = resources, shares = shares) }
    }

    override fun startAdd() = update {
        // Her own list starts as just hers; a worker's resource goes to the one share there is.
        it.copy(adding = ResourceDraft(space = if (ownList) null else it.shares.singleOrNull()?.space), message = null, error = null)
    }

    override fun editAdd(change: (ResourceDraft) -> ResourceDraft) = update { s -> s.copy(adding = s.adding?.let(change), error = null) }

    override fun cancelAdd() = update { it.copy(adding = null, error = null) }

    override fun saveAdd(): Job = work {
        val d = state.value.adding ?: return@work
        if (d.name.isBlank()) return@work failed(UiText(Keys.RESOURCE_NAME_NEEDED))
        if (d.space == null && !ownList) return@work failed(UiText(Keys.RESOURCE_CHOOSE_SHARE))
        fun opt(s: String) = s.trim().ifEmpty { null }
        store.addResource(d.space?.let(::SpaceId), d.kind, d.name.trim(), opt(d.reach), opt(d.hours), opt(d.address), opt(d.notes))
        update { it.copy(adding = null, error = null, message = UiText(Keys.RESOURCE_ADDED, d.name.trim())) }
        refresh().join()
    }

    override fun keep(id: String): Job = work {
        store.keepResource(ResourceId(id))
        update { it.copy(error = null, message = UiText(Keys.RESOURCE_KEPT)) }
        refresh().join()
    }

    override fun askDelete(id: String) = update { it.copy(confirmDelete = id, message = null, error = null) }

    override fun cancelDelete() = update { it.copy(confirmDelete = null) }

    override fun confirmDelete(): Job = work {
        val id = state.value.confirmDelete ?: return@work
        store.deleteResource(ResourceId(id))
        update { it.copy(confirmDelete = null, error = null, message = UiText(Keys.RESOURCE_DELETED)) }
        refresh().join()
    }
}
