import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { z } from 'zod';

/** One Kubernetes object as a kustomization renders it. */
export interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
}

/**
 * The part of Kustomize these manifests use. A kustomization with any other field is refused, so
 * a render here is never one `kubectl kustomize` would not print.
 */
const Kustomization = z.strictObject({
  apiVersion: z.literal('kustomize.config.k8s.io/v1beta1'),
  kind: z.literal('Kustomization'),
  resources: z.array(z.string()).default([]),
  /** Strategic-merge patches naming their target by kind and name. */
  patches: z.array(z.strictObject({ path: z.string() })).default([]),
  /** Added to each object's own labels only (Kustomize's default: no selectors, no templates). */
  labels: z.array(z.strictObject({ pairs: z.record(z.string(), z.string()) })).default([]),
  images: z.array(z.strictObject({ name: z.string(), newName: z.string().optional(), newTag: z.string().optional() })).default([]),
});

/**
 * What `kubectl kustomize <dir>` prints, as objects: the resources (files, and directories with a
 * kustomization of their own, rendered first), then this kustomization's patches, labels and
 * images over all of them, as Kustomize applies an overlay's settings to its bases' output too.
 * Kustomize itself is not installed where the tests run, and needs no cluster either way.
 */
export function renderKustomization(dir: string): Manifest[] {
  const kustomization = Kustomization.parse(parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')));
  const manifests = kustomization.resources.flatMap((resource) => {
    const path = join(dir, resource);
    return statSync(path).isDirectory() ? renderKustomization(path) : readManifests(path);
  });
  for (const { path } of kustomization.patches) {
    for (const patch of readManifests(join(dir, path))) {
      const target = manifests.find((m) => m.kind === patch.kind && m.metadata.name === patch.metadata.name);
      if (target === undefined) throw new Error(`${dir}: the patch ${path} names ${patch.kind} ${patch.metadata.name}, which no resource is`);
      mergeInto(target as unknown as Record<string, unknown>, patch as unknown as Record<string, unknown>, `${dir}/${path}`);
    }
  }
  for (const { pairs } of kustomization.labels) {
    for (const manifest of manifests) manifest.metadata.labels = { ...manifest.metadata.labels, ...pairs };
  }
  for (const manifest of manifests) {
    for (const container of podContainers(manifest)) container.image = imageAfter(container.image, kustomization.images);
  }
  return manifests;
}

function readManifests(path: string): Manifest[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

/** A strategic merge of maps: keys merged at every depth. Lists would be merged by key, which is not done here, so a patch with one is refused. */
function mergeInto(target: Record<string, unknown>, patch: Record<string, unknown>, where: string): void {
  for (const [key, value] of Object.entries(patch)) {
    if (Array.isArray(value)) throw new Error(`${where}: patching a list (${key}) is not supported by this renderer`);
    const current = target[key];
    if (isMap(value) && isMap(current)) mergeInto(current, value, where);
    else target[key] = value;
  }
}

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

interface PodTemplate {
  template?: { spec?: { containers?: Array<{ image: string }>; initContainers?: Array<{ image: string }> } };
}

function podContainers(manifest: Manifest): Array<{ image: string }> {
  const pod = (manifest.spec as PodTemplate | undefined)?.template?.spec;
  return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])];
}

function imageAfter(image: string, images: z.infer<typeof Kustomization>['images']): string {
  // A tag follows the last path segment's colon; a registry's port (`host:5000/payflow`) is no tag.
  const colon = image.indexOf(':', image.lastIndexOf('/') + 1);
  const [name, tag] = colon === -1 ? [image, undefined] : [image.slice(0, colon), image.slice(colon + 1)];
  const rule = images.find((entry) => entry.name === name);
  if (rule === undefined) return image;
  const newTag = rule.newTag ?? tag;
  return `${rule.newName ?? name}${newTag === undefined ? '' : `:${newTag}`}`;
}
