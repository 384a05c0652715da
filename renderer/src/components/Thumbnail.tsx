import { useEffect, useState } from 'react';
import { useApi } from '../api/api-context';
import { Icon } from './Icon';

const isImageKind = (kind: string): boolean => / image$/.test(kind);

/** A proposal's file as the person knows it: a Quick Look preview (in a browser, the image itself), else its kind's icon. */
export function Thumbnail({ proposalId, hasThumbnail, kind }: { proposalId: string; hasThumbnail: boolean; kind: string }) {
  const api = useApi();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setSrc(null);
    if (hasThumbnail) {
      api.getThumbnail(proposalId).then(
        (url) => live && setSrc(url),
        () => undefined,
      );
    }
    return () => {
      live = false;
    };
  }, [api, proposalId, hasThumbnail]);
  return (
    <span className="thumbnail" aria-hidden="true">
      {src ? (
        <img className="thumbnail__image" src={src} alt="" />
      ) : (
        <Icon name={isImageKind(kind) ? 'photo' : 'document'} className="thumbnail__icon" />
      )}
    </span>
  );
}
