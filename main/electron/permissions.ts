/**
 * The permission handlers of a session. Electron grants every permission by
 * default; we grant only the camera to our own page (rules in security.ts).
 */
import type { MediaAccessPermissionRequest, Session } from 'electron';
import { permissionAllowed } from './security';

export function installPermissionHandlers(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const media = details as Partial<MediaAccessPermissionRequest>;
    callback(
      permissionAllowed(
        permission,
        { mediaTypes: permission === 'media' ? (media.mediaTypes ?? []) : undefined, securityOrigin: media.securityOrigin },
        details.requestingUrl,
      ),
    );
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionAllowed(
      permission,
      { mediaType: details.mediaType, securityOrigin: details.securityOrigin },
      details.requestingUrl || requestingOrigin,
    ),
  );
  // WebHID, WebUSB, Web Serial: never (the core owns the serial scanner).
  ses.setDevicePermissionHandler(() => false);
}
