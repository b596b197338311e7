import { addInto, at, type ScalarSpace } from './scalar-space';
import { SortedList } from './sorted-list';

/**
 * Weighted dominant-resource-fairness bookkeeping for one set of clients (roles, or the
 * frameworks of one role). Pure bookkeeping: it knows allocations, weights and activity, and
 * answers "who is next" by visiting active leaves in fair-share order.
 *
 * Order (Mesos `compareDRF`): ascending share, then fewer allocations, then name. A client's share
 * is the largest fraction it holds of any scalar the cluster has (names excluded from fairness
 * left out), divided by its weight.
 *
 * Hierarchical sorters treat `eng/web` as a child of `eng`; siblings are compared on the
 * aggregated allocation of their subtrees. A client `eng` that also has children is kept as a
 * leaf child of the internal node `eng`, so it competes with `eng/web` on its own allocation.
 *
 * Sorting is incremental: an allocation moves the client and its ancestors within their sibling
 * lists. Only a change of cluster totals (agents added or removed) re-sorts everything, lazily.
 */
export class DrfSorter {
  private readonly root = new SorterNode('', undefined, false);
  private readonly leaves = new Map<string, SorterNode>();
  private readonly weights = new Map<string, number>();
  private dirty = false;

  constructor(
    private readonly space: ScalarSpace,
    /** Cluster totals in thousandths, indexed by the space; shared and updated by the owner. */
    private readonly totals: readonly number[],
    private readonly hierarchical: boolean,
  ) {}

  has(client: string): boolean {
    return this.leaves.has(client);
  }

  clients(): IterableIterator<string> {
    return this.leaves.keys();
  }

  get size(): number {
    return this.leaves.size;
  }

  /** Number of active clients. */
  get activeCount(): number {
    return this.root.activeLeaves;
  }

  /** Adds an inactive client with no allocation. No-op when present. */
  add(client: string): void {
    if (this.leaves.has(client)) return;
    let parent = this.root;
    if (this.hierarchical) {
      const parts = client.split('/');
      let path = '';
      for (const part of parts) {
        path = path === '' ? part : `${path}/${part}`;
        let next = parent.children.get(path);
        if (!next) {
          next = new SorterNode(path, parent, false);
          next.weight = this.weights.get(path) ?? 1;
          parent.children.set(path, next);
        }
        parent = next;
      }
    }
    const leaf = new SorterNode(client, parent, true);
    leaf.weight = this.hierarchical ? (this.weights.get(client) ?? 1) : 1;
    parent.children.set(leafKey(client), leaf);
    this.leaves.set(client, leaf);
  }

  /** Removes a client; what it still holds is subtracted from its ancestors. */
  remove(client: string): void {
    const leaf = this.leaves.get(client);
    if (!leaf) return;
    this.deactivate(client);
    if (leaf.alloc.some((v) => v !== 0)) this.change(leaf, leaf.alloc.slice(), -1, false);
    this.leaves.delete(client);
    let node: SorterNode = leaf;
    let parent = leaf.parent;
    parent?.children.delete(leafKey(leaf.path));
    // Prune internal nodes left without children.
    while (parent && parent !== this.root && parent.children.size === 0) {
      node = parent;
      parent = node.parent;
      parent?.children.delete(node.path);
    }
  }

  activate(client: string): void {
    const leaf = this.leaves.get(client);
    if (!leaf || leaf.active) return;
    leaf.active = true;
    this.propagateActivity(leaf, +1);
  }

  deactivate(client: string): void {
    const leaf = this.leaves.get(client);
    if (!leaf || !leaf.active) return;
    leaf.active = false;
    this.propagateActivity(leaf, -1);
  }

  isActive(client: string): boolean {
    return this.leaves.get(client)?.active ?? false;
  }

  /** Records that `client` was allocated `v` (thousandths by scalar index). */
  allocated(client: string, v: readonly number[]): void {
    const leaf = this.leaves.get(client);
    if (leaf) this.change(leaf, v, +1, true);
  }

  /** Records that `client` gave back `v`. */
  unallocated(client: string, v: readonly number[]): void {
    const leaf = this.leaves.get(client);
    if (leaf) this.change(leaf, v, -1, false);
  }

  allocation(client: string): readonly number[] {
    return this.leaves.get(client)?.alloc ?? [];
  }

  setWeight(path: string, weight: number): void {
    this.weights.set(path, weight);
    // Internal node and leaf for the same path both carry the weight.
    this.dirty = true;
    for (const node of this.nodesAt(path)) node.weight = weight;
  }

  weightOf(path: string): number {
    return this.weights.get(path) ?? 1;
  }

  /** Cluster totals changed: every share is stale; re-sort before the next visit. */
  totalsChanged(): void {
    this.dirty = true;
  }

  /** The weighted share the sorter orders `client` by. */
  share(client: string): number {
    const leaf = this.leaves.get(client);
    return leaf ? this.computeShare(leaf) : 0;
  }

  /**
   * Visits active leaves in fair-share order (pre-order over the tree, siblings sorted) until
   * `visit` returns true. Allocations made from inside `visit` reorder the lists as it goes; the
   * walk carries on from the same position, so a client that moved back may be seen again later in
   * the same walk, and no client is skipped.
   */
  visit(visit: (client: string) => boolean): boolean {
    if (this.dirty) this.resortAll();
    return this.visitNode(this.root, visit);
  }

  private visitNode(node: SorterNode, visit: (client: string) => boolean): boolean {
    const items = node.ordered.items;
    let i = 0;
    while (i < items.length) {
      const child = items[i] as SorterNode;
      if (child.isLeaf ? visit(child.path) : this.visitNode(child, visit)) return true;
      if (items[i] === child) i++;
    }
    return false;
  }

  private change(leaf: SorterNode, v: readonly number[], sign: 1 | -1, countIt: boolean): void {
    let node: SorterNode | undefined = leaf;
    while (node && node !== this.root) {
      const parent = node.parent as SorterNode;
      const listed = node.activeLeaves > 0 && !this.dirty;
      if (listed) parent.ordered.remove(node);
      addInto(node.alloc, v, sign);
      if (countIt) node.count++;
      if (listed) {
        node.share = this.computeShare(node);
        parent.ordered.insert(node);
      }
      node = parent;
    }
  }

  private propagateActivity(leaf: SorterNode, delta: 1 | -1): void {
    let node: SorterNode | undefined = leaf;
    while (node && node !== this.root) {
      const parent = node.parent as SorterNode;
      const before = node.activeLeaves;
      node.activeLeaves += delta;
      if (!this.dirty) {
        if (before === 0 && node.activeLeaves > 0) {
          node.share = this.computeShare(node);
          parent.ordered.insert(node);
        } else if (before > 0 && node.activeLeaves === 0) {
          parent.ordered.remove(node);
        }
      }
      node = parent;
    }
    this.root.activeLeaves += delta;
  }

  private computeShare(node: SorterNode): number {
    let share = 0;
    const alloc = node.alloc;
    for (let i = 0; i < alloc.length; i++) {
      const total = at(this.totals, i);
      if (total <= 0 || !this.space.countsForFairness(i)) continue;
      const fraction = (alloc[i] as number) / total;
      if (fraction > share) share = fraction;
    }
    return share / node.weight;
  }

  private resortAll(): void {
    this.dirty = false;
    const rebuild = (node: SorterNode): void => {
      node.ordered.items.length = 0;
      for (const child of node.children.values()) {
        child.share = this.computeShare(child);
        if (!child.isLeaf) rebuild(child);
        if (child.activeLeaves > 0) node.ordered.items.push(child);
      }
      node.ordered.resort();
    };
    rebuild(this.root);
  }

  private *nodesAt(path: string): Generator<SorterNode> {
    const leaf = this.leaves.get(path);
    if (leaf) yield leaf;
    if (!this.hierarchical) return;
    let node: SorterNode | undefined = this.root;
    let prefix = '';
    for (const part of path.split('/')) {
      prefix = prefix === '' ? part : `${prefix}/${part}`;
      node = node?.children.get(prefix);
    }
    if (node && node !== leaf) yield node;
  }
}

/** Leaves live in the same child map as internal nodes; a distinct key keeps `eng` and leaf `eng` apart. */
function leafKey(client: string): string {
  return `\u0000${client}`;
}

class SorterNode {
  readonly children = new Map<string, SorterNode>();
  /** Children with at least one active leaf below them, in fair-share order. */
  readonly ordered = new SortedList<SorterNode>(compareNodes);
  alloc: number[] = [];
  count = 0;
  share = 0;
  weight = 1;
  activeLeaves = 0;
  /** Leaves only: the client is active. */
  active = false;

  constructor(
    readonly path: string,
    readonly parent: SorterNode | undefined,
    readonly isLeaf: boolean,
  ) {}
}

function compareNodes(a: SorterNode, b: SorterNode): number {
  if (a.share !== b.share) return a.share < b.share ? -1 : 1;
  if (a.count !== b.count) return a.count - b.count;
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  // A leaf and the internal node of the same path are siblings only in degenerate trees.
  return a.isLeaf === b.isLeaf ? 0 : a.isLeaf ? -1 : 1;
}
