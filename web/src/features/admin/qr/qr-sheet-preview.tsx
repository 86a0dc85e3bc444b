import { useEffect, useState } from 'react';
import { useT } from '../../../lib/i18n.ts';
import { fetchAdmin, type AdminQrSpot } from '../admin-api.ts';
import { useAction } from '../admin-context.tsx';
import { adminMessages } from '../i18n.ts';
import { ErrorNote } from '../ui.tsx';

/**
 * The spot's A4 sheet (SVG from the API) shown as an image, and the browser's print dialog. The
 * print stylesheet hides everything else, so the printout is the sheet alone.
 */
export function QrSheetPreview({ spot, onClose }: { spot: AdminQrSpot; onClose(): void }) {
  const t = useT(adminMessages);
  const { run, error } = useAction();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    void run(async (token) => {
      const res = await fetchAdmin(`/admin/qr-spots/${spot.id}/sheet.svg`, token);
      objectUrl = URL.createObjectURL(await res.blob());
      setUrl(objectUrl);
    });
    return () => {
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [spot.id, run]);

  return (
    <div className="admin-dialog-backdrop">
      <div className="admin-dialog qr-print" role="dialog" aria-modal="true" aria-labelledby="qr-sheet-title">
        <div className="admin-dialog-head no-print">
          <h2 id="qr-sheet-title">{t('qrSheetTitle')} · {spot.code}</h2>
          <div className="btn-row">
            <button type="button" className="btn btn-primary" disabled={!url} onClick={() => window.print()}>{t('qrPrintNow')}</button>
            <button type="button" className="btn btn-secondary" onClick={onClose}>{t('close')}</button>
          </div>
        </div>
        <ErrorNote error={error} />
        {url && <img className="qr-sheet" src={url} alt={`扫码急救 · Scan in an emergency · ${spot.buildingName ?? ''} ${spot.code}`} />}
      </div>
    </div>
  );
}
